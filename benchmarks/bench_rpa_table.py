"""Print the table of a ``benchmarks/bench_rpa.py`` JSON-lines output file: RRPA (length,
velocity), the polarizability check and frozen-core DHF per photon energy.

Usage: ``python benchmarks/bench_rpa_table.py out.jsonl``
"""
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    subs = d['sub_length']
    top = sorted(subs.items(), key=lambda kv: -kv[1])[:3]
    print("%6.0f eV  RPA L %.5g V %.5g (rel %.1e) pol %.5g | DHF V^N L %.4g V %.4g | V^N-1 L %.4g V %.4g | its %d/%d  %.1f s/%.1f s  DHF %.2f s  pts %d | %s" % (
        d['eV'], d['rpa_length'], d['rpa_velocity'], d['rel_gauge_rpa'], d['pol_length'], d['dhf_length'], d['dhf_velocity'],
        d['dhf_hole_length'], d['dhf_hole_velocity'], d['its_length'], d['its_velocity'], d['sec_length'], d['sec_velocity'],
        d['sec_dhf_velocity'] + d['sec_dhf_length'], d['points'], ' '.join('%s %.4g' % kv for kv in top)))
