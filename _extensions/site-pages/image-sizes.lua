--[[
image-sizes: every image of the site's own gets its width and height, read from the image file,
and every such image after a page's first loads lazily.

- width/height: the browser reserves the image's place before the file arrives, so the text
  below it does not jump (Lighthouse: layout shift). CSS still scales the image to the column
  (Quarto's class img-fluid: max-width 100%, height auto).
- loading="lazy" on all but the first image: a long post's figures are fetched when the reader
  scrolls near them, not all at once with the text. The first one (the home page's cover, a
  post's first figure) may be what the reader sees first, so it loads at once.

Images from other hosts (the "Open in Colab" badge) and data: URIs are left as they are, and so
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

function Image(image)
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
  if images_seen > 1 and not attributes.loading then
    attributes.loading = "lazy"
  end
  return image
end
