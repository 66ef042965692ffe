--[[
colab-links: links from each rendered page back to its notebook in the repository.

1. At the top of every page rendered from an .ipynb file it inserts

     [Open in Colab](https://colab.research.google.com/github/OWNER/REPO/blob/BRANCH/PATH){.colab-badge}
     [Download notebook](https://github.com/OWNER/REPO/raw/BRANCH/PATH)

   where PATH is the page's own source file relative to the project root
   (e.g. posts/01-load-data.ipynb). The badge is the link's own text, drawn by styles.css
   (a.colab-badge): no image, so the page asks no other host for anything (Google's badge image
   was a request to colab.research.google.com on every post, and a console error offline).

2. It turns links written as `repo:` or `repo:some/path` into `REPO-URL` or
   `REPO-URL/some/path`, so pages can link to the repository without naming it.

OWNER/REPO comes from one place only: `website: repo-url` in _quarto.yml (BRANCH from
`website: repo-branch`, default "main", as for Quarto's own repo-actions links).
Quarto merges _quarto.yml into each document's metadata, so the filter reads
`website.repo-url` from there; if that key is missing it reads the same line straight
from _quarto.yml in the project directory. If neither gives a GitHub URL the render
stops with an error instead of publishing wrong links.

Used by posts/_metadata.yml and about.qmd (`filters: [colab-links]`).
]]

local function nonempty(s)
  if s == nil or s == "" then
    return nil
  end
  return s
end

local function meta_string(value)
  if value == nil then
    return nil
  end
  return nonempty(pandoc.utils.stringify(value))
end

local function project_directory()
  if quarto and quarto.project and quarto.project.directory then
    return quarto.project.directory
  end
  return nil
end

-- Value of `website: <key>:` read from the text of _quarto.yml (fallback only).
local function website_option_from_config_file(key)
  local dir = project_directory()
  if not dir then
    return nil
  end
  local f = io.open(pandoc.path.join({ dir, "_quarto.yml" }), "r")
  if not f then
    return nil
  end
  local text = f:read("a")
  f:close()
  local in_website, indent = false, nil
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    if line:match("^[^%s#]") then
      in_website, indent = line:match("^website:%s*$") ~= nil, nil
    elseif in_website and line:match("^%s+[^%s#]") then
      -- only direct children of `website:` (the first indentation seen under it)
      indent = indent or line:match("^(%s+)")
      local value = line:match("^" .. indent .. key:gsub("%-", "%%-") .. ":%s*(.-)%s*$")
      if value then
        value = value:gsub("%s+#.*$", "")
        value = value:match('^"(.*)"$') or value:match("^'(.*)'$") or value
        return nonempty(value)
      end
    end
  end
  return nil
end

local function website_option(meta, key)
  local website = meta.website
  local value = website and meta_string(website[key])
  return value or website_option_from_config_file(key)
end

-- Settings shared by both passes, filled in by the Meta pass.
local repo_url, colab_base, branch

local function read_settings(meta)
  local url = website_option(meta, "repo-url")
  if not url then
    error("colab-links: no `website: repo-url` found (set it in _quarto.yml)")
  end
  url = url:gsub("/+$", ""):gsub("%.git$", "")
  local owner, name = url:match("^https://github%.com/([%w%-%._]+)/([%w%-%._]+)$")
  if not owner then
    error("colab-links: `website: repo-url` must look like https://github.com/OWNER/REPO, got " .. url)
  end
  repo_url = url
  colab_base = "https://colab.research.google.com/github/" .. owner .. "/" .. name
  branch = website_option(meta, "repo-branch") or "main"
end

-- The page's source file relative to the project root, with forward slashes.
local function source_path()
  local input = quarto and quarto.doc and quarto.doc.input_file
  local dir = project_directory()
  if not input or not dir then
    return nil
  end
  local rel = pandoc.path.make_relative(pandoc.path.normalize(input), pandoc.path.normalize(dir))
  rel = rel:gsub("\\", "/")
  if pandoc.path.is_absolute(rel) or rel:match("^%.%./") then
    return nil
  end
  return rel
end

local function notebook_links(path)
  local colab_url = colab_base .. "/blob/" .. branch .. "/" .. path
  local download_url = repo_url .. "/raw/" .. branch .. "/" .. path
  local badge_text = { pandoc.Str("Open"), pandoc.Space(), pandoc.Str("in"), pandoc.Space(), pandoc.Str("Colab") }
  local para = pandoc.Para({
    pandoc.Link(badge_text, colab_url, "", pandoc.Attr("", { "colab-badge" })),
    pandoc.Space(),
    pandoc.Link({ pandoc.Str("Download"), pandoc.Space(), pandoc.Str("notebook") }, download_url),
  })
  return pandoc.Div({ para }, pandoc.Attr("", { "notebook-links" }))
end

local function rewrite_repo_link(link)
  local rest = link.target:match("^repo:(.*)$")
  if rest == nil then
    return nil
  end
  rest = rest:gsub("^/+", "")
  link.target = rest == "" and repo_url or (repo_url .. "/" .. rest)
  return link
end

local function warn(message)
  if quarto and quarto.log and quarto.log.warning then
    quarto.log.warning(message)
  else
    io.stderr:write("WARNING: " .. message .. "\n")
  end
end

local function add_notebook_links(doc)
  local input = quarto and quarto.doc and quarto.doc.input_file
  if not (input and input:match("%.ipynb$")) then
    return nil -- not a notebook page: nothing to open in Colab
  end
  local path = source_path()
  if not path then
    warn("colab-links: " .. input .. " is not inside the project folder; no Colab link added")
    return nil
  end
  doc.blocks:insert(1, notebook_links(path))
  return doc
end

return {
  { Meta = read_settings },
  { Link = rewrite_repo_link, Pandoc = add_notebook_links },
}
