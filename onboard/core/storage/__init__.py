"""What onboard keeps on disk: where (paths), how safely (atomic writes), and the progress state."""
