--[[
og-url: the page's address for link previews (<meta property="og:url">). Quarto 1.7 writes the
other Open Graph tags (open-graph: true) and, with `canonical-url: true`, the canonical link, but
no og:url; this builds the same address the canonical link gets: website: site-url, then the
page's path (a folder's index page: the folder, ending in /). Nothing without a site-url, and
nothing on the site's 404.html, which GitHub Pages serves at every address it does not know.
]]

local function page_url(meta)
  local website = meta.website
  local site_url = website and website["site-url"] and pandoc.utils.stringify(website["site-url"])
  local input = quarto and quarto.doc and quarto.doc.input_file
  local project = quarto and quarto.project and quarto.project.directory
  if not (site_url and site_url ~= "" and input and project) then
    return nil
  end
  local path = pandoc.path.make_relative(pandoc.path.normalize(input), pandoc.path.normalize(project))
  path = path:gsub("\\", "/")
  if pandoc.path.is_absolute(path) or path:match("^%.%./") then
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
  return site_url:gsub("/+$", "") .. "/" .. path
end

function Meta(meta)
  local url = page_url(meta)
  if url then
    quarto.doc.include_text("in-header",
      '<meta property="og:url" content="' .. url:gsub("&", "&amp;"):gsub('"', "&quot;") .. '">')
  end
end
