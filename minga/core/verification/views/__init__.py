"""Pages of identity verification: the person's own page (``citizen``) and the officials' back
office (``office``)."""
