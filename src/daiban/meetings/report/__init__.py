"""The 调度报告: figures (selector), sections (shared tables), Word and Excel writers."""
