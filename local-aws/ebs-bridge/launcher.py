"""
Starts moto's server with Sequester's test-only extensions installed: sequester_moto_bridge.py (this
folder) and every module of local-aws/moto-patches/ that defines install().
Usage: <python that has moto> launcher.py [moto_server arguments...]
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import sequester_moto_bridge  # noqa: E402

sequester_moto_bridge.install()

PATCHES = os.path.join(os.path.dirname(HERE), "moto-patches")
if os.path.isdir(PATCHES):
    for name in sorted(os.listdir(PATCHES)):
        if not name.endswith(".py") or name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"sequester_patch_{name[:-3]}", os.path.join(PATCHES, name))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "install"):
            module.install()

from moto.server import main  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = "moto_server"
    sys.exit(main())
