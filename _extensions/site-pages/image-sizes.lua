--[[
image-sizes: every image of the site's own gets its width and height, read from the image file,
and every such image loads lazily unless the reader may see it on the first screen.

- width/height: the browser reserves the image's place before the file arrives, so the text
  below it does not jump (Lighthouse: layout shift). CSS still scales the image to the column
  (Quarto's class img-fluid: max-width 100%, height auto).
- loading="lazy": a long post's figures are fetched when the reader scrolls near them, not all
  at once with the text. Only the page's first image, and only when it is among the first
  EAGER_BLOCKS blocks of the page (the home page's cover, right under the title), loads at once:
  it may be what the reader sees first. A post's first figure comes after its introduction and
  its setup code, below the first screen of a phone; loaded at once, it shared the phone's
  connection with the stylesheets and scripts the text waits for (post 07's first figure is a
  200 KB photo grid: Lighthouse's "offscreen images", and a later first paint).

Images from other hosts and data: URIs are left as they are, and so
is an image that already has a width, a height or a loading attribute, or whose file pandoc
cannot read or size. Runs after Quarto's own filters (_extension.yml: at: post-render).
]]

local images_seen = 0

local function is_local(src)
  return not (src:match("^%a[%w+.-]*:") or src:match("^//"))
end

-- The image file: src is relative to the page's source file (or, with a leading /, to the project).
local function file_of(src)
  local path = src:gsub("[?#].*$", ""):gsub("%%(%x%x)", function(hex)
    return string.char(tonumber(hex, 16))
  end)
  local input = quarto and quarto.doc and quarto.doc.input_file
  local project = quarto and quarto.project and quarto.project.directory
  if path:sub(1, 1) == "/" and project then
    return pandoc.path.join({ project, path:sub(2) })
  end
  if input and not pandoc.path.is_absolute(path) then
    return pandoc.path.join({ pandoc.path.directory(input), path })
  end
  return path
end

local function size_of(file)
  local handle = io.open(file, "rb")
  if not handle then
    return nil
  end
  local contents = handle:read("a")
  handle:close()
  local ok, size = pcall(pandoc.image.size, contents)
  if ok and size and size.width and size.height then
    return size
  end
  return nil
end

-- The page's first image loads at once only within the page's first EAGER_BLOCKS top-level blocks
-- (a post starts with its notebook links and an introduction of some 250 px on a phone).
local EAGER_BLOCKS = 3

local function sized(image, block_number)
  if not is_local(image.src) then
    return nil
  end
  images_seen = images_seen + 1
  local attributes = image.attributes
  if not attributes.width and not attributes.height then
    local size = size_of(file_of(image.src))
    if size then
      attributes.width = tostring(size.width)
      attributes.height = tostring(size.height)
    end
  end
  local on_first_screen = images_seen == 1 and block_number <= EAGER_BLOCKS
  if not on_first_screen and not attributes.loading then
    attributes.loading = "lazy"
  end
  return image
end

function Pandoc(doc)
  for number, block in ipairs(doc.blocks) do
    doc.blocks[number] = block:walk({ Image = function(image) return sized(image, number) end })
  end
  return doc
end
