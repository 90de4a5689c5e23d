raise KeyError("the preload is broken")
