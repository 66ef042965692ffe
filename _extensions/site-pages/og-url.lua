--[[
og-url: the page's address for link previews (<meta property="og:url">). Quarto 1.7 writes the
other Open Graph tags (open-graph: true) and, with `canonical-url: true`, the canonical link, but
no og:url; this builds the same address the canonical link gets: `website: site-url` of
_quarto.yml, then the page's path (a folder's index page: the folder, ending in /). Nothing
without a site-url, and nothing on the site's 404.html, which GitHub Pages serves at every
address it does not know. (Quarto does not pass `website:` to filters, so the filter reads
_quarto.yml itself, with pandoc's YAML reader; the publish workflow rewrites site-url there.)
]]

local function site_url(project)
  local handle = io.open(pandoc.path.join({ project, "_quarto.yml" }), "r")
  if not handle then
    return nil
  end
  local config = pandoc.read("---\n" .. handle:read("a") .. "\n---\n", "markdown").meta
  handle:close()
  local url = config.website and config.website["site-url"]
  return url and pandoc.utils.stringify(url) or nil
end

local function page_url()
  local input = quarto and quarto.doc and quarto.doc.input_file
  local project = quarto and quarto.project and quarto.project.directory
  if not (input and project) then
    return nil
  end
  local base = site_url(project)
  local path = pandoc.path.make_relative(pandoc.path.normalize(input), pandoc.path.normalize(project))
  path = path:gsub("\\", "/")
  if not base or base == "" or pandoc.path.is_absolute(path) or path:match("^%.%./") then
    return nil
  end
  path = pandoc.path.split_extension(path) .. ".html"
  if path == "404.html" then
    return nil
  end
  local folder, name = path:match("^(.-)([^/]*)$")
  if name == "index.html" then
    path = folder
  end
  return base:gsub("/+$", "") .. "/" .. path
end

function Pandoc(doc)
  local url = page_url()
  if url then
    quarto.doc.include_text("in-header",
      '<meta property="og:url" content="' .. url:gsub("&", "&amp;"):gsub('"', "&quot;") .. '">')
  end
end
