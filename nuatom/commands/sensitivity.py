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
                   help="cross-section method: fea, dhf (= ab-initio), free, or another registered "
                        "name; rpa only where its packaged response columns serve the row (the "
                        "sm-1percent row at 100 eV); default: the file's")
    p.add_argument("--criterion", default="asimov", choices=("asimov", "seed"),
                   help="asimov: likelihood ratio on Asimov SM data (median expected limit); "
                        "seed: the seed talk's counting rule (counts in a window above threshold "
                        "<= B + 1.28 sqrt(B))")
    p.add_argument("--window-keV", dest="window_keV", type=float, default=2.0,
                   help="width of the counting window above threshold of --criterion seed, keV (default 2)")
    p.add_argument("--no-bands", dest="bands", action="store_false",
                   help="skip the expected-limit bands (asimov criterion)")
    p.add_argument("--no-theory", dest="theory", action="store_false",
                   help="skip the theory spread: FEA vs DHF, and RPA where it serves the row (it repeats the calculation per method)")
    p.add_argument("--rpa-columns", dest="rpa_columns", action="store_true",
                   help="add to the theory spread the RPA estimate of a likelihood row from the packaged RPA "
                        "columns inside its window (the bound with DHF x the column's RPA/DHF rate ratio, "
                        "per column; about half a minute per column)")


def run(args) -> dict:
    from nuatom.experiments import sensitivity as sens

    if args.list:
        rows = []
        for eid in sens.list_experiments():
            e = sens.load_experiment(eid)
            rows.append({"id": e.id, "name": e.name, "table": e.table, "method": e.method})
        return {"experiments": rows, "methods": list(sens.methods()),
                "methods_unavailable": dict(sens.UNAVAILABLE_METHODS),
                "methods_column_only": dict(sens.COLUMN_ONLY_METHODS), "criteria": list(sens.CRITERIA)}
    target = args.experiment if args.experiment else args.detector_file
    # validate everything cheap before any rate is computed
    exp = sens.load_experiment(target)
    method = exp.method if args.method is None else args.method
    sens.get_method(method)
    seed_opt = sens.SeedCriterion(window_keV=args.window_keV)
    result = sens.sensitivity(exp, method, criterion=args.criterion, seed_options=seed_opt)
    out = result.to_dict()
    out["expected_bands_90"] = None
    if args.bands and args.criterion == "asimov" and exp.kind == "likelihood":
        out["expected_bands_90"] = {"source": "asymptotic formulas (Cowan et al. 2011), Asimov sigma; "
                                              "quantiles of the 90% CL limit under the SM",
                                    **sens.expected_bands(exp, method)}
    out["theory_spread"] = None
    if args.theory:
        elements = [el for el, _ in exp.target.composition]
        from nuatom.neutrino.xsec import packaged_elements

        if all(el in packaged_elements() for el in elements):
            # each bound is computed once: the row's own method, then the other methods
            known = {method: result}
            out["theory_spread"] = sens.theory_spread(exp, args.criterion, seed_options=seed_opt, known=known)
            if args.rpa_columns:
                est = sens.rpa_column_estimate(exp, args.criterion, seed_opt,
                                               dhf_bounds=out["theory_spread"]["bounds"].get("dhf"))
                out["theory_spread"]["rpa_column_estimate"] = est if est is not None else {
                    "unavailable": "no packaged RPA column inside this row's window (or not a likelihood row)"}
        else:
            out["theory_spread"] = {"unavailable": f"no ab initio (DHF) tables for {'/'.join(elements)}"}
    return out
