"""Tables found from word boxes and drawn rulings: regions, columns, rows, cells, continued tables."""
