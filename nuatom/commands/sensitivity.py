"""``nuatom sensitivity``: 90% CL sensitivities to μ_ν, δ_Q and ⟨r²⟩ of one experiment."""
from __future__ import annotations

NAME = "sensitivity"
HELP = "90% CL sensitivity of a reactor or solar-neutrino experiment to neutrino EM properties"


def add_arguments(p) -> None:
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--list", action="store_true", help="list the bundled experiments")
    g.add_argument("--experiment", help="id of a bundled experiment (see --list)")
    g.add_argument("--detector-file", dest="detector_file",
                   help="user experiment file (TOML, or YAML with pyyaml) with the fields of the bundled ones")
    p.add_argument("--method", default=None,
                   help="cross-section method (registered name: free, fea, ...); default: the file's")


def run(args) -> dict:
    from nuatom.experiments import sensitivity as sens

    if args.list:
        rows = []
        for eid in sens.list_experiments():
            e = sens.load_experiment(eid)
            rows.append({"id": e.id, "name": e.name, "table": e.table, "method": e.method})
        return {"experiments": rows, "methods": list(sens.methods())}
    target = args.experiment if args.experiment else args.detector_file
    return sens.sensitivity(target, args.method).to_dict()
