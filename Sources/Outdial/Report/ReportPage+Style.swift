extension ReportPage {
    /// The page's style sheet, inline.
    static let style = """
        :root { --good: #2e7d32; --bad: #c62828; --warn: #ef6c00; --odd: #6a1b9a; --mild: #0277bd;
          --none: #9e9e9e; --ink: #212121; --soft: #616161; --line: #e0e0e0; }
        * { box-sizing: border-box; }
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
          margin: 0 auto; max-width: 1040px; padding: 24px; background: #fafafa; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 20px; margin: 0 0 4px; }
        h3 { font-size: 16px; margin: 20px 0 6px; }
        code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px;
          margin: 16px 0; }
        .meta, .note, .legend, .none { color: var(--soft); margin: 4px 0 12px; }
        .grid { display: flex; flex-wrap: wrap; gap: 12px 32px; align-items: flex-start; }
        table { border-collapse: collapse; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { padding: 3px 8px 3px 0; text-align: left; vertical-align: top; }
        th { font-weight: normal; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; padding-right: 12px; }
        td.pct { color: var(--soft); font-size: 13px; text-align: right; }
        td.share { width: 120px; }
        .bar { display: inline-block; height: 10px; border-radius: 2px; min-width: 1px; }
        .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
        .stack { display: flex; height: 14px; border-radius: 4px; overflow: hidden; margin: 8px 0 14px;
          background: var(--line); }
        .stack span { display: block; height: 100%; }
        .c-good { background: var(--good); } .c-bad { background: var(--bad); }
        .c-warn { background: var(--warn); } .c-odd { background: var(--odd); }
        .c-mild { background: var(--mild); } .c-none { background: var(--none); }
        svg.timeline { width: 100%; height: auto; display: block; }
        svg .starts { fill: var(--good); } svg .errors { fill: var(--bad); }
        svg .axis { stroke: var(--soft); } svg .grid { stroke: var(--line); stroke-dasharray: 4 3; }
        svg .label { font: 12px system-ui, sans-serif; fill: var(--soft); }
        table.errors { width: 100%; }
        table.errors thead th { font-weight: 600; border-bottom: 1px solid var(--line); }
        table.errors tbody tr { border-bottom: 1px solid var(--line); }
        ul.examples { margin: 0; padding-left: 16px; }
        ul.examples li { margin: 2px 0 6px; }
        .message { color: var(--soft); overflow-wrap: anywhere; }
        .warning { border-left: 4px solid var(--warn); background: #fff8e1; padding: 8px 12px; margin-top: 12px; }
        .warning ul { margin: 4px 0; }
        """
}
