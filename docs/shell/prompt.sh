# rejection-tui: show how many planned asks wait to be rated, in your prompt.
# Reads the status file only (no Python, no journal): well under a millisecond.
rt_pending() {
  local line
  { IFS= read -r line < "${REJECTION_TUI_STATUS:-$HOME/.local/share/rejection-tui/journal.json.status}"; } 2>/dev/null || return 0
  line=${line#pending=}
  [ "$line" -gt 0 ] 2>/dev/null && printf '(%s to rate) ' "$line"
  return 0
}
PS1='$(rt_pending)'"$PS1"
