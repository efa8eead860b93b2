import CYaml
enum OutdialCorePlaceholder {}
