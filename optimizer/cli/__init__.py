"""`courtplan` command line. The CLI is the product's printing edge: the library below it
returns values and events. One module per group of commands, each with a `register(sub)`:
`plan` (validate, generate, schema, solve), `workbench` (compare, explain, officers,
recommend, sweep), `service` (serve, worker, keys), `operations` (backup, restore), `tools`
(bench), `files` (import, template, export-scenario, export, report, drafts), `outcomes`
(project, screen).

Exit codes (`optimizer/law/errors.py` `ExitCode`): 0 success, 2 invalid input (a `UserError`:
file, arguments, changes), 3 no feasible plan, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from optimizer.cli import files, operations, outcomes, plan, service, tools, workbench
from optimizer.cli.common import EXIT_INFEASIBLE, EXIT_INVALID, err
from optimizer.law.errors import ExitCode, UserError

__all__ = ["EXIT_INFEASIBLE", "EXIT_INVALID", "build_parser", "main"]
COMMAND_GROUPS = (plan, workbench, outcomes, service, operations, tools, files)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="courtplan",
                                 description="Cross-execution (交叉执行) planner for enforcement cases.")
    sub = ap.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    ap = build_parser()
    a = ap.parse_args(argv)
    try:
        return int(a.func(a))
    except UserError as e:
        err(str(e))
        return int(e.exit_code)
    except ValidationError as e:
        err("invalid value: " + "; ".join(
            f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors(include_url=False)))
        return EXIT_INVALID
    except ValueError as e:  # a standard parser's refusal of an argument or a file (json, dates)
        err(str(e))
        return EXIT_INVALID
    except OSError as e:
        err(f"{e.filename or ''}: {e.strerror or e}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        err("interrupted")
        return int(ExitCode.INTERRUPTED)




if __name__ == "__main__":
    sys.exit(main())
