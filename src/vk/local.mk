# vk module: see src/vk/ (filled in by its issue)
