--[[
full-size-links: every figure of a post (an image of the page's own, class figure-img, not in a
link already) becomes a link to its image file. In a phone's column a figure with several panels
is too small to read (post 06's grids of photos with their labels); tapping it opens the image
itself, which the phone shows full width and lets the reader zoom. No script: Quarto's lightbox
would add a script that must run before the page's own end, which the head's deferred scripts
(scripts/lighten_pages.py) do not.

Runs after Quarto's own filters (_extension.yml: at: post-render), when its figures are built.
]]

local function is_local(src)
  return not (src:match("^%a[%w+.-]*:") or src:match("^//"))
end

local function link_figures(block)
  local changed = false
  block.content = block.content:map(function(inline)
    if inline.t == "Image" and inline.classes:includes("figure-img") and is_local(inline.src) then
      changed = true
      return pandoc.Link({ inline }, inline.src, "Open the figure full size", pandoc.Attr("", { "full-size" }))
    end
    return inline
  end)
  return changed and block or nil
end

return {
  { Plain = link_figures, Para = link_figures },
}
