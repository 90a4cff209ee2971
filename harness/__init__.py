"""The lab's harness: drive its compose stack, a real browser and the repository, for tests, tools and bench."""
