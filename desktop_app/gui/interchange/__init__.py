"""Moving work between studies and tools: merging a second coder's copy, importing REFI-QDA projects."""
