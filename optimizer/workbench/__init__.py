"""The planner's workbench: questions asked of a finished plan.

- `compare`: what changed between two plans (objective by term, KPIs, loads, cases, staff);
- `explain`: why each case got its decision, its lawful alternatives and what they would cost;
- `officers`: where one more officer (or one more lent officer) lowers the objective most;
- `recommend`: the best lawful options for a new case, given the plan, without re-solving;
- `sweep`: a grid of what-if variants solved in parallel, with a table and a chart.

Estimates come from the plan's loads and the band penalty; exact answers re-solve a variant
through the same search and finish as `optimizer.pipeline`.
"""
