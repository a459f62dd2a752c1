/* build-flags: -I/usr/include/python3.11 */
/* build-libs: /usr/lib/x86_64-linux-gnu/libpython3.11.a -lexpat -lz -lpthread -lutil -ldl -lm */
/* CPython 3.11 embedded (Debian's static libpython3.11.a): a pure-Python loop (integer arithmetic,
 * a dict, a list sort, string joins), N rounds (argv[1]). The interpreter's standard library is
 * read from /usr/lib/python3.11 (skytrace: --fs /usr/lib/python3.11); no site module. Prints one
 * checksum line, the same natively, under qemu-x86_64 and in skytrace. */
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>

static const char *SCRIPT =
  "total = 0\n"
  "for r in range(ROUNDS):\n"
  "    d = {}\n"
  "    for i in range(3000):\n"
  "        d[i * 7 % 1009] = d.get(i * 7 % 1009, 0) + i\n"
  "    xs = sorted(d.values(), reverse=True)\n"
  "    total = (total + sum(xs[::17]) + r) % 1000000007\n"
  "    s = ','.join(str(i * r) for i in range(500))\n"
  "    total = (total + len(s) + s.count('7')) % 1000000007\n"
  "    a, b = 0, 1\n"
  "    for i in range(2000):\n"
  "        a, b = b, (a + b) % 1000003\n"
  "    total = (total + a) % 1000000007\n"
  "print('python', ROUNDS, 'rounds:', total)\n";

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 10;
  PyConfig config;
  PyConfig_InitIsolatedConfig(&config);
  config.site_import = 0;
  config.write_bytecode = 0;
  PyStatus st = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(st)) Py_ExitStatusException(st);
  PyObject *main = PyImport_AddModule("__main__");
  PyObject *globals = PyModule_GetDict(main);
  PyDict_SetItemString(globals, "ROUNDS", PyLong_FromLong(rounds));
  PyObject *r = PyRun_String(SCRIPT, Py_file_input, globals, globals);
  if (!r) { PyErr_Print(); return 1; }
  Py_DECREF(r);
  fflush(stdout);
  return Py_FinalizeEx() < 0 ? 1 : 0;
}
