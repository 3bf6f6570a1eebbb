"""The monthly update round in files: the requests sent to the leads and the returns read back."""
