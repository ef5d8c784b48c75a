"""Phases of a participatory space, shared by every module that runs things in stages (the
participation module's processes; later the council's ordinance stages): the features a
module's phases can switch on (`features`), an abstract model for phases (`models.PhaseBase`),
typed settings checked against a schema (`settings`), the reads over an ordered phase list
(`timeline`: the phase on at a moment, whether a feature is on, validation of the list inside
its parent's dates) and the rules that freeze once a phase with a rule-locking feature has
started (`locks`). Core holds no concrete phase model: each module keeps its own table."""
