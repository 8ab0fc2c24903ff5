// gather: the notebook's asyncio cells (filled in below).
int main() { return 0; }
