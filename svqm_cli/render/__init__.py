"""Reports from a pack: context (what to show), charts (SVG), and one writer per format."""
