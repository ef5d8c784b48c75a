"""Progress of long work (a datastore load, an OCDS import, a layer import, a cédula import):
what phase it is in, how many rows are done of how many, the time left, and, for a failed one,
why and what stayed live. Jobs write through ``services``; the back office reads through
``selectors`` and shows the record with the ``core/progress/panel.html`` include."""
