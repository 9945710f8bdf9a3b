"""Output for people and programs: documents, formats, the data contract, words, provenance, charts, report."""
