"""The sector definitions that ship with lsh, one YAML file each (installed as lshcli.definitions_bundled)."""
