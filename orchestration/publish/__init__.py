"""Publication: cut the quarterly release from the gated marts."""
