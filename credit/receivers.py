"""How credit reacts to the events of enforcement and assets (they cannot import credit: architecture.md)."""
