"""Domain operations shared by the JSON API and the HTML pages."""
