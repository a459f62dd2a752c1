// The smallest static glibc program: what `skytrace exec` costs before any guest work (bench/startup.ts).
int main(void) { return 0; }
