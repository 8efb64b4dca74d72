"""Per-socket heap by class from heap-per-socket.sh's histograms: each TaskPulse run beside the floor."""
import re
import sys


def histogram(path):
    classes = {}
    for line in open(path):
        match = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
        if match:
            classes[match.group(3)] = (int(match.group(1)), int(match.group(2)))
    return classes


def per_socket(directory, sockets):
    half, full = histogram(directory + '/histo-half.txt'), histogram(directory + '/histo-full.txt')
    return {name: ((full.get(name, (0, 0))[0] - half.get(name, (0, 0))[0]) / sockets,
                   (full.get(name, (0, 0))[1] - half.get(name, (0, 0))[1]) / sockets)
            for name in set(half) | set(full)}


out, sockets = sys.argv[1], int(sys.argv[2])
floor = per_socket(out + '/floor', sockets)
print('floor: %.0f B per idle socket' % sum(v[1] for v in floor.values()))
for run in ('taskpulse', 'taskpulse-no-ping'):
    mine = per_socket(out + '/' + run, sockets)
    extra = sorted(((mine.get(k, (0, 0))[1] - floor.get(k, (0, 0))[1], mine.get(k, (0, 0))[0] - floor.get(k, (0, 0))[0], k)
                    for k in set(mine) | set(floor)), reverse=True)
    print('\n%s: %.0f B per idle socket, %.0f B over the floor; the largest differences:'
          % (run, sum(v[1] for v in mine.values()), sum(e[0] for e in extra)))
    for difference, objects, name in extra[:12]:
        print('  %6.0f B %6.2f objects  %s' % (difference, objects, name))
