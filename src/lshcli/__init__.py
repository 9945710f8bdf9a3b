"""lsh: size the Dutch Life Sciences & Health sector by SBI definition, and explain every gap."""

__version__ = "0.1.0"
