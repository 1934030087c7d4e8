/* html.c: the interactive HTML map: the SVG map, the elements' data and a small script, one file.
 *
 * How it works: Graphviz draws the map as SVG; every drawn place is a <g> with
 * id "nI" (I: the node's index in the model), every line "eI", every placed
 * name "lI". The page embeds that SVG, a JSON table (cJSON) of what the
 * tooltips show for each id (name, kind, mode, corridors, metrics, capacity,
 * status, source), the route options of --route, and a script of a few
 * hundred lines that pans and zooms by changing the SVG's viewBox, shows
 * tooltips, hides lines by corridor and mode, and highlights a route option.
 * Nothing is fetched: no network, no external script or font. Opened with
 * "#selftest" the page checks itself and writes the results into
 * <pre id="selftest">, which the headless-Chromium test reads.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "render_internal.h"

static int add_str(cJSON *o, const char *k, const char *v)
{
    return !v || cJSON_AddStringToObject(o, k, v) != NULL;
}

static int add_num(cJSON *o, const char *k, double v)
{
    return !isfinite(v) || cJSON_AddNumberToObject(o, k, v) != NULL;
}

/* capacity per commodity ("unlimited" for INFINITY), only those given */
static int add_capacity(cJSON *o, const corridor_model *m, const double *cap, unsigned given)
{
    if (!given)
        return 1;
    cJSON *c = cJSON_AddObjectToObject(o, "capacity");
    if (!c)
        return 0;
    for (int k = 0; k < COR_NCOM; k++) {
        if (!(given & (1u << k)))
            continue;
        char text[96];
        const char *unit = m->units[k] ? m->units[k] : "";
        if (isinf(cap[k]))
            snprintf(text, sizeof text, "unlimited");
        else
            snprintf(text, sizeof text, "%.6g %s", cap[k], unit);
        if (!cJSON_AddStringToObject(c, corridor_commodity_name((corridor_commodity)k), text))
            return 0;
    }
    return 1;
}

static cJSON *node_json(const corridor_model *m, const cor_node *n)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o && add_str(o, "name", n->name) && add_str(o, "type", "place") &&
             add_str(o, "kind", corridor_kind_name(n->kind)) &&
             add_str(o, "country", n->country >= 0 ? m->countries[n->country].name : NULL) &&
             add_str(o, "status", corridor_status_name(n->status)) &&
             (!n->opens || add_num(o, "opens", n->opens)) &&
             add_capacity(o, m, n->capacity, n->capacity_given) && add_str(o, "source", n->source);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *edge_json(const corridor_model *m, const cor_edge *e)
{
    cJSON *o = cJSON_CreateObject(), *corr = NULL, *met = NULL;
    char ends[512];
    snprintf(ends, sizeof ends, "%s %s %s", m->nodes[e->from].name, e->oneway ? "->" : "-",
             m->nodes[e->to].name);
    int ok = o && add_str(o, "name", e->name ? e->name : e->id) && add_str(o, "type", "line") &&
             add_str(o, "ends", ends) && add_str(o, "mode", corridor_mode_name(e->mode)) &&
             add_str(o, "status", corridor_status_name(e->status)) &&
             (!e->opens || add_num(o, "opens", e->opens)) &&
             (corr = cJSON_AddArrayToObject(o, "corridors")) != NULL &&
             (met = cJSON_AddObjectToObject(o, "metrics")) != NULL;
    for (size_t c = 0; ok && c < e->n_corridors; c++) {
        const cor_corridor *cc = &m->corridors[e->corridors[c]];
        cJSON *s = cJSON_CreateString(cc->id);
        ok = s && cJSON_AddItemToArray(corr, s);
        if (s && !ok)
            cJSON_Delete(s);
    }
    for (int k = 0; ok && k < COR_NMET; k++)
        ok = add_num(met, corridor_metric_field((corridor_metric)k), e->metric[k]);
    ok =
        ok && add_capacity(o, m, e->capacity, e->capacity_given) && add_str(o, "source", e->source);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* The route options: rank, a text, the ids of their lines. */
static cJSON *routes_json(const corridor_model *m, const corridor_routes *r)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && r && i < r->n; i++) {
        const corridor_route *rt = &r->routes[i];
        cJSON *o = cJSON_CreateObject(), *ids = NULL;
        char text[160];
        double v = rt->metric[r->by];
        if (r->by == CORRIDOR_BY_TIME && isfinite(v))
            snprintf(text, sizeof text, "%zu: %ld d %02ld h, %zu legs", rt->rank, lround(v) / 24,
                     lround(v) % 24, rt->n_edges);
        else
            snprintf(text, sizeof text, "%zu: %.6g %s, %zu legs", rt->rank, v,
                     corridor_metric_field(r->by), rt->n_edges);
        if (!o || !cJSON_AddItemToArray(a, o)) {
            cJSON_Delete(o);
            cJSON_Delete(a);
            return NULL;
        }
        int ok = add_str(o, "text", text) && (ids = cJSON_AddArrayToObject(o, "edges")) != NULL;
        for (size_t h = 0; ok && h < rt->n_edges; h++) {
            long e = rt->hops[h].edge ? corridor__edge_find(m, rt->hops[h].edge) : -1;
            char id[32];
            snprintf(id, sizeof id, "e%ld", e);
            cJSON *s = e >= 0 ? cJSON_CreateString(id) : NULL;
            if (s && !cJSON_AddItemToArray(ids, s)) {
                cJSON_Delete(s);
                ok = 0;
            }
        }
        if (!ok) {
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

/* Everything the script needs, as JSON text (cJSON_free frees it). */
static char *page_data(const corridor_model *m, const corridor_render_opts *opts)
{
    cJSON *root = cJSON_CreateObject(), *el = NULL, *corr = NULL, *modes = NULL, *routes = NULL;
    char *text = NULL;
    int ok = root && (el = cJSON_AddObjectToObject(root, "elements")) != NULL &&
             (corr = cJSON_AddArrayToObject(root, "corridors")) != NULL &&
             (modes = cJSON_AddArrayToObject(root, "modes")) != NULL;
    for (size_t i = 0; ok && i < m->n_nodes; i++) {
        char id[32];
        snprintf(id, sizeof id, "n%zu", i);
        cJSON *o = node_json(m, &m->nodes[i]);
        ok = o && cJSON_AddItemToObject(el, id, o);
        if (o && !ok)
            cJSON_Delete(o);
    }
    for (size_t i = 0; ok && i < m->n_edges; i++) {
        char id[32];
        snprintf(id, sizeof id, "e%zu", i);
        cJSON *o = edge_json(m, &m->edges[i]);
        ok = o && cJSON_AddItemToObject(el, id, o);
        if (o && !ok)
            cJSON_Delete(o);
    }
    for (size_t c = 0; ok && c < m->n_corridors; c++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(corr, o)) {
            cJSON_Delete(o);
            ok = 0;
            break;
        }
        ok = add_str(o, "id", m->corridors[c].id) &&
             add_str(o, "name", m->corridors[c].name ? m->corridors[c].name : m->corridors[c].id);
    }
    for (int k = 0; ok && k < COR_NMODE; k++) {
        cJSON *s = cJSON_CreateString(corridor_mode_name((corridor_mode)k));
        ok = s && cJSON_AddItemToArray(modes, s);
        if (s && !ok)
            cJSON_Delete(s);
    }
    if (ok && opts->highlight && opts->highlight->n) {
        ok = (routes = routes_json(m, opts->highlight)) != NULL &&
             cJSON_AddItemToObject(root, "routes", routes);
        if (routes && !ok)
            cJSON_Delete(routes);
    }
    if (ok)
        text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}

static const char style[] =
    "html,body{margin:0;height:100%;font:13px/1.35 sans-serif;color:#222;overflow:hidden}\n"
    "#map{position:absolute;left:0;top:0;right:260px;bottom:0;background:#fff}\n"
    "#map svg{width:100%;height:100%;cursor:grab;display:block}\n"
    "#side{position:absolute;top:0;right:0;bottom:0;width:244px;padding:8px;overflow:auto;"
    "border-left:1px solid #ccc;background:#fafafa}\n"
    "#side h3{margin:10px 0 4px;font-size:13px}\n#side label{display:block;white-space:nowrap}\n"
    "#zoom{position:absolute;left:10px;top:10px;z-index:2}\n"
    "#zoom button{width:30px;height:30px;font-size:16px;margin-right:2px}\n"
    "#tip{position:fixed;display:none;z-index:3;max-width:360px;padding:6px 8px;"
    "background:#fff;border:1px solid #888;box-shadow:1px 1px 4px #0004;pointer-events:none}\n"
    "#tip b{display:block}\n.off{display:none}\n.dim{opacity:.15}\n"
    "#routes div{cursor:pointer;padding:2px 4px}#routes div.on{background:#ffe08a}\n"
    "#selftest{display:none}\n";

static const char script[] =
    "(function(){\n"
    "'use strict';\n"
    "var data=JSON.parse(document.getElementById('corridor-data').textContent);\n"
    "var svg=document.querySelector('#map svg');\n"
    "svg.removeAttribute('width');svg.removeAttribute('height');\n"
    "var vb0=svg.getAttribute('viewBox').split(/[ ,]+/).map(Number),vb=vb0.slice();\n"
    "function setvb(){svg.setAttribute('viewBox',vb.join(' '));}\nsetvb();\n"
    "function zoom(f,cx,cy){if(cx===undefined){cx=vb[0]+vb[2]/2;cy=vb[1]+vb[3]/2;}\n"
    " vb[0]=cx-(cx-vb[0])*f;vb[1]=cy-(cy-vb[1])*f;vb[2]*=f;vb[3]*=f;setvb();}\n"
    "function pt(e){var r=svg.getBoundingClientRect(),s=Math.max(vb[2]/r.width,vb[3]/r.height);\n"
    " var ox=(r.width*s-vb[2])/2,oy=(r.height*s-vb[3])/2;\n"
    " return [vb[0]-ox+(e.clientX-r.left)*s,vb[1]-oy+(e.clientY-r.top)*s,s];}\n"
    "svg.addEventListener('wheel',function(e){e.preventDefault();var p=pt(e);\n"
    " zoom(e.deltaY<0?0.8:1.25,p[0],p[1]);},{passive:false});\n"
    "var drag=null;\n"
    "svg.addEventListener('mousedown',function(e){drag=[e.clientX,e.clientY];});\n"
    "window.addEventListener('mouseup',function(){drag=null;});\n"
    "window.addEventListener('mousemove',function(e){if(!drag)return;var s=pt(e)[2];\n"
    " vb[0]-=(e.clientX-drag[0])*s;vb[1]-=(e.clientY-drag[1])*s;drag=[e.clientX,e.clientY];setvb();"
    "});\n"
    "document.getElementById('zin').onclick=function(){zoom(0.8);};\n"
    "document.getElementById('zout').onclick=function(){zoom(1.25);};\n"
    "document.getElementById('zreset').onclick=function(){vb=vb0.slice();setvb();};\n"
    "var tip=document.getElementById('tip');\n"
    "function esc(s){return String(s).replace(/[&<>\"]/g,function(c){\n"
    " return {'&':'&amp;','<':'&lt;','>':'&gt;','\"':'&quot;'}[c];});}\n"
    "function describe(d){var h='<b>'+esc(d.name)+'</b>';\n"
    " function row(k,v){if(v!==undefined&&v!==null&&v!=='')h+=esc(k)+': '+esc(v)+'<br>';}\n"
    " row('kind',d.kind||d.type);row('ends',d.ends);row('mode',d.mode);row('country',d.country);\n"
    " if(d.corridors)row('corridors',d.corridors.join(', ')||'none');\n"
    " if(d.metrics)for(var k in d.metrics)row(k,d.metrics[k]);\n"
    " if(d.capacity)for(var c in d.capacity)row('capacity ('+c+')',d.capacity[c]);\n"
    " row('status',d.status+(d.opens?' '+d.opens:''));row('source',d.source);return h;}\n"
    "function owner(t){while(t&&t!==svg){if(t.id&&/^[nel][0-9]+$/.test(t.id))return "
    "t;t=t.parentNode;}return null;}\n"
    "function key(id){return id.charAt(0)==='l'?'n'+id.slice(1):id;}\n"
    "svg.addEventListener('mouseover',function(e){var "
    "g=owner(e.target);if(!g){tip.style.display='none';return;}\n"
    " var "
    "d=data.elements[key(g.id)];if(!d)return;tip.innerHTML=describe(d);tip.style.display='block';\n"
    " tip.style.left=(e.clientX+14)+'px';tip.style.top=(e.clientY+14)+'px';});\n"
    "svg.addEventListener('mouseout',function(e){if(!owner(e.relatedTarget))tip.style.display='"
    "none';});\n"
    "var hidden={corr:{},mode:{}};\n"
    "function apply(){var gs=svg.querySelectorAll('g.edge');for(var i=0;i<gs.length;i++){\n"
    " var d=data.elements[gs[i].id];if(!d||!d.mode)continue;var off=!!hidden.mode[d.mode];\n"
    " if(!off&&d.corridors.length){off=true;for(var "
    "j=0;j<d.corridors.length;j++)if(!hidden.corr[d.corridors[j]])off=false;}\n"
    " gs[i].classList.toggle('off',off);}}\n"
    "function toggles(box,list,kind,label){var used={};for(var id in data.elements){var "
    "d=data.elements[id];\n"
    " if(!d.mode||!document.getElementById(id))continue;used[d.mode]=1;d.corridors.forEach("
    "function(c){used[c]=1;});}\n"
    " list.forEach(function(it){var id=it.id||it;if(!used[id])return;var "
    "l=document.createElement('label');\n"
    " var c=document.createElement('input');c.type='checkbox';c.checked=true;c.dataset[kind]=id;\n"
    " c.onchange=function(){hidden[kind][id]=!c.checked;apply();};l.appendChild(c);\n"
    " l.appendChild(document.createTextNode(' '+(it.name||it)));box.appendChild(l);});}\n"
    "toggles(document.getElementById('corr'),data.corridors,'corr');\n"
    "toggles(document.getElementById('modes'),data.modes,'mode');\n"
    "var rbox=document.getElementById('routes');\n"
    "function pick(i){var "
    "on={};(data.routes[i]||{edges:[]}).edges.forEach(function(e){on[e]=1;});\n"
    " var gs=svg.querySelectorAll('g.edge');for(var "
    "k=0;k<gs.length;k++)gs[k].classList.toggle('dim',i>=0&&!on[gs[k].id]);\n"
    " var "
    "ds=rbox.querySelectorAll('div');for(k=0;k<ds.length;k++)ds[k].classList.toggle('on',k===i);}\n"
    "if(data.routes){document.getElementById('routes-h').style.display='block';\n"
    " data.routes.forEach(function(r,i){var d=document.createElement('div');d.textContent=r.text;\n"
    "  d.onclick=function(){pick(d.classList.contains('on')?-1:i);};rbox.appendChild(d);});}\n"
    "window.corridorMap={zoom:zoom,pick:pick,apply:apply};\n"
    "})();\n";

/* The in-page test: run when the page is opened as FILE#selftest. */
static const char selftest[] =
    "(function(){\n"
    "if(location.hash!=='#selftest')return;\n"
    "var out={errors:window.__errors||[],checks:{}};\n"
    "function ev(el,type){var r=el.getBoundingClientRect();el.dispatchEvent(new MouseEvent(type,\n"
    " {bubbles:true,clientX:r.left+r.width/2,clientY:r.top+r.height/2}));}\n"
    "try{var svg=document.querySelector('#map svg'),tip=document.getElementById('tip');\n"
    " var data=JSON.parse(document.getElementById('corridor-data').textContent);\n"
    " function ours(sel,re){return "
    "Array.prototype.filter.call(svg.querySelectorAll(sel),function(g){return re.test(g.id);});}\n"
    " var node=ours('g.node',/^n[0-9]+$/)[0],edge=ours('g.edge',/^e[0-9]+$/)[0];\n"
    " ev(node.querySelector('polygon,ellipse,path')||node,'mouseover');\n"
    " out.checks.node_tooltip=tip.style.display==='block'&&tip.textContent.indexOf(data.elements["
    "node.id].name)>=0;\n"
    " ev(edge.querySelector('path')||edge,'mouseover');var d=data.elements[edge.id];\n"
    " out.checks.edge_tooltip=tip.style.display==='block'&&tip.textContent.indexOf(d.name)>=0&&tip."
    "textContent.indexOf('mode: '+d.mode)>=0;\n"
    " var vb=svg.getAttribute('viewBox');document.getElementById('zin').click();\n"
    " out.checks.zoom=svg.getAttribute('viewBox')!==vb;document.getElementById('zreset').click();\n"
    " out.checks.reset=svg.getAttribute('viewBox')===vb;\n"
    " var m=document.querySelector('#modes input');m.click();var hidden=0,wrong=0;\n"
    " ours('g.edge',/^e[0-9]+$/).forEach(function(g){var x=data.elements[g.id];\n"
    "  var "
    "off=getComputedStyle(g).display==='none';if(x.mode===m.dataset.mode){hidden+=off;wrong+=!off;}"
    "else wrong+=off&&x.corridors.length===0;});\n"
    " out.checks.mode_toggle=hidden>0&&wrong===0;m.click();\n"
    " var c=document.querySelector('#corr input');c.click();var only=0,bad=0;\n"
    " ours('g.edge',/^e[0-9]+$/).forEach(function(g){var x=data.elements[g.id];\n"
    "  var off=getComputedStyle(g).display==='none';var "
    "single=x.corridors.length===1&&x.corridors[0]===c.dataset.corr;\n"
    "  if(single){only+=off;bad+=!off;}else if(x.corridors.indexOf(c.dataset.corr)<0)bad+=off;});\n"
    " out.checks.corridor_toggle=only>0&&bad===0;c.click();\n"
    " out.checks.shown_again=svg.querySelectorAll('g.edge.off').length===0;\n"
    " if(data.routes){var r=document.querySelector('#routes div');r.click();\n"
    "  var "
    "dim=svg.querySelectorAll('g.edge.dim').length,lit=data.routes[0].edges.every(function(id){\n"
    "   var g=document.getElementById(id);return !g||!g.classList.contains('dim');});\n"
    "  out.checks.route_click=dim>0&&lit&&r.classList.contains('on');}\n"
    "}catch(e){out.errors.push(String(e));}\n"
    "out.errors=out.errors.concat(window.__errors||[]).filter(function(v,i,a){return "
    "a.indexOf(v)===i;});\n"
    "var pre=document.getElementById('selftest');pre.textContent=JSON.stringify(out);\n"
    "})();\n";

/* Appends the JSON text with "</" written "<\/" so that it cannot end the script element. */
static void add_script_safe(cor_buf *b, const char *s)
{
    for (; *s; s++) {
        if (s[0] == '<' && s[1] == '/')
            corridor__buf_puts(b, "<\\");
        else
            corridor__buf_add(b, s, 1);
    }
}

static void add_html_text(cor_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '<')
            corridor__buf_puts(b, "&lt;");
        else if (*s == '&')
            corridor__buf_puts(b, "&amp;");
        else
            corridor__buf_add(b, s, 1);
    }
}

int corridor__html_page(cor_buf *out, const char *svg, size_t len, const corridor_model *model,
                        const corridor_render_opts *opts)
{
    const char *start = NULL;
    for (size_t i = 0; i + 4 < len && !start; i++)
        if (memcmp(svg + i, "<svg", 4) == 0)
            start = svg + i;
    if (!start)
        return corridor__error(CORRIDOR_EINTERNAL, "Graphviz wrote no <svg> element");
    char *json = page_data(model, opts);
    if (!json)
        return corridor__oom();
    corridor__buf_puts(out,
                       "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<title>");
    add_html_text(out, corridor_model_name(model));
    corridor__buf_puts(
        out,
        "</title>\n<script>window.__errors=[];window.addEventListener('error',"
        "function(e){window.__errors.push(String(e.message));});(function(){var ce=console.error;"
        "console.error=function(){window.__errors.push(Array.prototype.join.call("
        "arguments,' '));return ce.apply(console,arguments);};})();</script>\n"
        "<style>\n");
    corridor__buf_puts(out, style);
    corridor__buf_puts(out, "</style>\n</head>\n<body>\n<div id=\"map\">\n<div id=\"zoom\">"
                            "<button id=\"zin\" title=\"zoom in\">+</button>"
                            "<button id=\"zout\" title=\"zoom out\">&#8722;</button>"
                            "<button id=\"zreset\" title=\"whole map\">&#8634;</button></div>\n");
    corridor__buf_add(out, start, len - (size_t)(start - svg));
    corridor__buf_puts(out, "</div>\n<div id=\"side\">\n<h3 id=\"routes-h\" style=\"display:none\">"
                            "Route options (click to highlight)</h3><div id=\"routes\"></div>\n"
                            "<h3>Corridors</h3><div id=\"corr\"></div>\n<h3>Modes</h3>"
                            "<div id=\"modes\"></div>\n<p>Wheel or buttons: zoom; drag: pan; "
                            "hover: details.</p>\n</div>\n<div id=\"tip\"></div>\n"
                            "<pre id=\"selftest\"></pre>\n"
                            "<script type=\"application/json\" id=\"corridor-data\">");
    add_script_safe(out, json);
    corridor__buf_puts(out, "</script>\n<script>\n");
    corridor__buf_puts(out, script);
    corridor__buf_puts(out, selftest);
    corridor__buf_puts(out, "</script>\n</body>\n</html>\n");
    cJSON_free(json);
    return out->failed ? corridor__oom() : 0;
}
