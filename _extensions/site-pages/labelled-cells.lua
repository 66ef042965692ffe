--[[
labelled-cells: every body cell of a table inside a div of class `labelled-cells` gets its
column's header text as `data-label`. On a phone a wide table does not fit side by side, so
styles.css shows each row as a small card, every value after its column's name
(`td::before { content: attr(data-label) }`). index.qmd wraps the generated results table in one.
]]

local function label_cells(table)
  local labels = {}
  local header = table.head.rows[#table.head.rows]
  if not header then
    return nil
  end
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
  return table
end

function Div(div)
  if div.classes:includes("labelled-cells") then
    return div:walk({ Table = label_cells })
  end
end
