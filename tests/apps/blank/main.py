"""A test app that opens nothing by itself: tests open windows through `evaluate`."""
