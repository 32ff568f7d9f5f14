# lit configuration of the example plugin's tests. Run from the build folder:
#   lit -v --param qopt_opt=PATH/qopt-opt --param plugin=PATH/QOptExamplePlugin.so \
#       examples/pass-plugin/test
import os
import lit.formats

config.name = "QOPT_EXAMPLE_PLUGIN"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)

params = lit_config.params
qopt_opt = params.get("qopt_opt", "qopt-opt")
plugin = params.get("plugin")
if not plugin:
    lit_config.fatal("pass --param plugin=PATH/QOptExamplePlugin.so")
filecheck = params.get("filecheck", "/usr/lib/llvm-22/bin/FileCheck")
# Test outputs go next to the plugin (its build folder), not into the sources.
config.test_exec_root = os.path.join(os.path.dirname(os.path.abspath(plugin)), "test")
config.substitutions.append(("%plugin", plugin))
config.substitutions.append(("qopt-opt", qopt_opt))
config.substitutions.append(("FileCheck", filecheck))
