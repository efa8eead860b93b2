/* The benchmark floor for reading job files: pulls every libyaml event of FILE and prints the count.
 * Build: cc -O2 bench/floor.c -o bench/bin/floor $(pkg-config --cflags --libs yaml-0.1) */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: floor FILE\n");
        return 2;
    }
    FILE *file = fopen(argv[1], "rb");
    if (!file) {
        perror(argv[1]);
        return 1;
    }
    yaml_parser_t parser;
    yaml_event_t event;
    if (!yaml_parser_initialize(&parser)) {
        fprintf(stderr, "cannot initialize libyaml\n");
        return 1;
    }
    yaml_parser_set_input_file(&parser, file);
    unsigned long count = 0;
    int done = 0;
    while (!done) {
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "%s:%zu:%zu: error: %s\n", argv[1], parser.problem_mark.line + 1,
                    parser.problem_mark.column + 1, parser.problem ? parser.problem : "parse error");
            yaml_parser_delete(&parser);
            fclose(file);
            return 1;
        }
        done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        count++;
    }
    printf("%lu\n", count);
    yaml_parser_delete(&parser);
    fclose(file);
    return 0;
}
