"""The effectiveness review of the Open Council: how many people read the council's pages and
whether they take part (follows, comments, silla vacía requests, attendance at sessions), by
month and by act, before and after the portal's launch."""
