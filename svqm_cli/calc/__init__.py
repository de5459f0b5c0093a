"""Pure calculations over pack data: Decimal in, Decimal out, no I/O."""
