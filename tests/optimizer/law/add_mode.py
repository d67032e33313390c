"""Adds the made-up mode 执行和解促进 (MEDIATE) to `optimizer/law/modes.py` in memory — a member of
`Mode`, its `ModeSpec`, its basis, as docs/dev/new-mode.md says — then prints, as JSON, whether
each table derived from the specs has it. Run by `test_vocabulary.py` in its own interpreter
(the real modes stay untouched): `python add_mode.py ROOT SCENARIO.json`."""
# ruff: noqa: E402
import json
import sys
import types
from pathlib import Path

root = Path(sys.argv[1])
sys.path.insert(0, str(root))
source = (root / "optimizer/law/modes.py").read_text(encoding="utf-8")
member = "    COORDINATE = 6  # 协同执行\n"
assert member in source
source = source.replace(member, member + "    MEDIATE = 7  # 执行和解促进 (made up)\n")
spec_end = '\n)\nassert [s.mode for s in MODE_SPECS] == list(Mode)'
assert spec_end in source
source = source.replace(spec_end, (
    '\n    ModeSpec(Mode.MEDIATE, "mediate", "执行和解促进", "mediate", "mode_mediate", 30.0,'
    ' Trigger.PASSIVE, True, Decider.PARENT, "执行和解促进通知", verb="mediated at",'
    ' issued=True, key_decision=4, drafted=False, number_code=None, basis="mediate_own"),')
    + spec_end)
basis_end = '\n}\n#: what the plan says where it decides nothing'
assert basis_end in source
source = source.replace(basis_end, '\n    "mediate_own": "执行和解促进（某条）",' + basis_end)
modes = types.ModuleType("optimizer.law.modes")
modes.__file__ = str(root / "optimizer/law/modes.py")
sys.modules["optimizer.law.modes"] = modes
exec(compile(source, modes.__file__, "exec"), modes.__dict__)

from optimizer.data.scenario import Weights
from optimizer.law.vocabulary import served_vocabulary
from optimizer.model import lawful
from optimizer.model.costs import mode_costs, remedy_masks
from optimizer.pipeline import ChangesError, ChangeSet, plan_scenario
from optimizer.report import doc_numbers, draft_texts, text
from optimizer.results import gate, kpis, previous

mediate = modes.Mode.MEDIATE
found = {
    "MODE_BY_KEY": modes.MODE_BY_KEY.get("mediate") == mediate,
    "MODE_LABELS": modes.MODE_LABELS.get(mediate) == "执行和解促进",
    "Weights": "mode_mediate" in Weights.model_fields,
    "mode_costs": len(mode_costs(Weights())) == len(modes.Mode),
    "remedy_masks": len(remedy_masks()) == len(modes.Mode),
    "lawful": mediate not in lawful._SAME_COURT,
    "previous.ISSUED_MODES": "mediate" in previous.ISSUED_MODES,
    "text._KEY_MODES": text._KEY_MODES[-1:] == ("mediate",),
    "gate.MOVING_MODES": mediate in gate.MOVING_MODES,
    "kpis.MOVING_MODES": mediate in kpis.MOVING_MODES,
    "draft_texts.DOCUMENTS (not drafted)": "mediate" not in draft_texts.DOCUMENTS,
    "doc_numbers.TYPE_CODES (not drafted)": "mediate" not in doc_numbers.TYPE_CODES,
    "basis": modes.basis_for(mediate, modes.Situation(False, False, False, False, True, False,
                                                      False, "")) == "执行和解促进（某条）",
    "served": any(m["key"] == "mediate" and m["verb"] == "mediated at"
                  for m in served_vocabulary()["modes"]),
}
# a pin to the new mode, which no candidate function offers yet: refused, in its own words
first = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))["cases"][0]
try:
    plan_scenario(sys.argv[2], ChangeSet.model_validate(
        {"pins": [{"case": first["id"], "mode": "mediate", "court": "M"}]}))
    found["pin refused"] = False
except ChangesError as e:
    found["pin refused"] = "may not be mediated at M" in str(e)
print(json.dumps(found))
