"""What citizens may follow in the Open Council (an act, a committee, a member, a subject) and
the notices their followers get when an act changes stage or is put on a session's agenda."""
