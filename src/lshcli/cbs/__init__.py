"""Everything CBS-specific: the HTTP client, the OData v3 vocabulary behind `TableSource`, table specs, and fetch."""
