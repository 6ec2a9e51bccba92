# Matching, tandems and contact logs arrive with their own issues.
