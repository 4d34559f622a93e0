# rejection-tui in the tmux status bar: add to ~/.tmux.conf (refreshed every status-interval).
set -g status-right '#(sed -n "s/^pending=\([1-9][0-9]*\)$/\1 to rate/p" ~/.local/share/rejection-tui/journal.json.status 2>/dev/null) %H:%M'
