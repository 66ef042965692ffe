--[[
run-results: fills the home page's `::: {.run-results}` div with the published run's results
table, the Markdown that scripts/results.py prints from run/run.json (the table's one owner).

Why a filter and not a generated file: Quarto resolves `{{< include >}}` while it lists the
project's files, before a `pre-render` script runs (quarto-dev/quarto-cli#12491), so a table
written by pre-render is missing on a fresh clone and the render fails. A filter runs while the
page renders, from the run's record, and nothing generated is left in the folder.
It runs the python3 on the PATH (scripts/results.py needs only the standard library).
]]

function Div(div)
  if not div.classes:includes("run-results") then
    return nil
  end
  local script = pandoc.path.join({ quarto.project.directory, "scripts", "results.py" })
  local ok, markdown = pcall(pandoc.pipe, "python3", { script }, "")
  if not ok then
    error("run-results.lua: `python3 " .. script .. "` failed, so the home page has no results table:\n"
      .. tostring(markdown))
  end
  div.content = pandoc.read(markdown, "markdown").blocks
  return div
end
