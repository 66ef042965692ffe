--[[
labelled-cells: every body cell of a table inside a div of class `labelled-cells` gets its
column's header text as `data-label`. On a phone a wide table does not fit side by side, so
styles.css shows each row as a small card, every value after its column's name
(`td::before { content: attr(data-label) }`). index.qmd wraps the generated results table in one.

Quarto 1.7 writes a markdown table's HTML itself and drops cell attributes, so the labelled table
is written here (pandoc's HTML writer keeps them), with the classes Quarto gives its tables;
Quarto still turns its links to .qmd/.ipynb files into links to the pages.
]]

local function labelled(table)
  local header = table.head.rows[#table.head.rows]
  if not header then
    return nil
  end
  local labels = {}
  for index, cell in ipairs(header.cells) do
    labels[index] = pandoc.utils.stringify(cell.contents)
  end
  for _, body in ipairs(table.bodies) do
    for _, row in ipairs(body.body) do
      for index, cell in ipairs(row.cells) do
        if labels[index] and labels[index] ~= "" then
          cell.attributes["data-label"] = labels[index]
        end
      end
    end
  end
  -- Column widths from the content, not from the dashes of the markdown's separator line.
  for index, spec in ipairs(table.colspecs) do
    table.colspecs[index] = { spec[1], nil }
  end
  for _, class in ipairs({ "caption-top", "table" }) do
    if not table.classes:includes(class) then
      table.classes:insert(class)
    end
  end
  return pandoc.RawBlock("html", pandoc.write(pandoc.Pandoc({ table }), "html"))
end

function Div(div)
  if div.classes:includes("labelled-cells") then
    return div:walk({ Table = labelled })
  end
end
