--[[
full-size-links: every figure of a post (an image of the page's own that stands alone in its
paragraph, as a notebook's plots do, and is not in a link already) becomes a link to its image
file. In a phone's column a figure with several panels is too small to read (post 06's grid of
mistakes); tapping it opens the image itself, which the phone shows full width and lets the reader
zoom. No script: Quarto's lightbox would add an inline script that needs its library before the
page ends, which the head's deferred scripts (scripts/lighten_pages.py) do not promise.

Posts only (pages rendered from notebooks). Runs after Quarto's own filters (_quarto.yml:
at: post-render), when its figures are built.
]]

local function is_local(src)
  return not (src:match("^%a[%w+.-]*:") or src:match("^//"))
end

local function link_figure(block)
  local images = block.content:filter(function(inline)
    return inline.t ~= "Space" and inline.t ~= "SoftBreak"
  end)
  local image = images[1]
  if #images ~= 1 or image.t ~= "Image" or not is_local(image.src) then
    return nil
  end
  block.content = { pandoc.Link({ image }, image.src, "Open the figure full size", pandoc.Attr("", { "full-size" })) }
  return block
end

function Pandoc(doc)
  local input = quarto and quarto.doc and quarto.doc.input_file
  if not (input and input:match("%.ipynb$")) then
    return nil
  end
  return doc:walk({ Plain = link_figure, Para = link_figure })
end
