/* build-flags: -I/usr/include/lua5.4 */
/* build-libs: /usr/lib/x86_64-linux-gnu/liblua5.4.a -lm */
/* Lua 5.4 (Debian's static liblua5.4.a) running a fixed script: numeric loops, table inserts and
 * sorts, string building and gsub; N rounds (argv[1]). Prints one checksum line, the same natively,
 * under qemu-x86_64 and in skytrace (bench/programs.ts compares them). */
#include <stdio.h>
#include <stdlib.h>
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>

static const char *SCRIPT =
  "local rounds = ...\n"
  "local sum = 0\n"
  "for r = 1, rounds do\n"
  "  local t = {}\n"
  "  for i = 1, 2000 do t[i] = (i * 7919 + r) % 1000 end\n"
  "  table.sort(t)\n"
  "  for i = 1, #t, 50 do sum = (sum + t[i] * i) % 1000000007 end\n"
  "  local parts = {}\n"
  "  for i = 1, 300 do parts[#parts + 1] = string.format('%d:%x', i, i * r) end\n"
  "  local s = table.concat(parts, ',')\n"
  "  local n = 0\n"
  "  s = s:gsub('%d+', function(d) n = n + #d; return '' end)\n"
  "  sum = (sum + n + #s) % 1000000007\n"
  "  local f = 0.0\n"
  "  for i = 1, 5000 do f = f + math.sqrt(i) / (i + r) end\n"
  "  sum = (sum + math.floor(f * 1000)) % 1000000007\n"
  "end\n"
  "return sum\n";

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 10;
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  if (luaL_loadstring(L, SCRIPT) != LUA_OK) { fprintf(stderr, "%s\n", lua_tostring(L, -1)); return 1; }
  lua_pushinteger(L, rounds);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) { fprintf(stderr, "%s\n", lua_tostring(L, -1)); return 1; }
  printf("lua %d rounds: %lld\n", rounds, (long long)lua_tointeger(L, -1));
  lua_close(L);
  return 0;
}
