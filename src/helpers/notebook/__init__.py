"""The report notebook: the kernel's API, the sections it shows, its execution and HTML export."""
