"""Read-only public API of the Open Council (/api/v1/concejo/…) in the Open Civic Data shape:
bills with their actions, versions and sponsors, people with their memberships, organizations
(the council and its committees), events (convened sessions with their agenda) and vote events
with their counts and votes. Public records of the government only."""
