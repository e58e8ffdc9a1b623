!function(w,d){try{
var L=w.location,F=w.fetch,U=w.URLSearchParams,S=d.currentScript||d.querySelector('script[data-site]'),
A=k=>S&&S.getAttribute('data-'+k),on=k=>A('no-'+k)==null,
g=f=>function(){try{return f.apply(this,arguments)}catch(e){}},
E=(t,y,f,o)=>t.addEventListener(y,g(f),o),vis=()=>d.visibilityState=='visible',
st=(k,v)=>{try{var l=w.localStorage;return v==null?l.getItem(k):l.setItem(k,v)}catch(e){}},
site=A('site')||L.hostname,api=(A('api')||(S&&S.src?new URL(S.src).origin:L.origin)).replace(/\/$/,''),
hash=A('hash')!=null,
dl=(A('downloads')||'pdf,xlsx,docx,txt,rtf,csv,exe,key,pps,ppt,pptx,7z,pkg,rar,gz,zip,avi,mov,mp4,mpeg,wmv,midi,mp3,wav,wma,dmg').split(','),
Q='tally_q',D=1e3,T=0,H=0,TR=[],obs=[],fired={},last,path,sec=0,tot=0,ic=0,act=0,
url=()=>hash?L.href:L.href.replace(/#.*/,''),
str=x=>x==null?x:''+x,
load=()=>{try{return JSON.parse(st(Q))||[]}catch(e){return[]}},
enq=t=>{var q=load(),n=0;q.push(t);q=q.reverse().filter(x=>(n+=x.length)<=32768).slice(0,50).reverse();st(Q,JSON.stringify(q));sch()},
sch=()=>T||(T=setTimeout(flush,D),D=Math.min(D*2,6e4)),
flush=g(()=>{T=0;var q=load();st(Q,'[]');q.forEach(post)}),
post=t=>{var e=api+'/api/event',f=g(()=>H||enq(t));try{F.call(w,e,{method:'POST',body:t,keepalive:!0,credentials:'omit'}).then(r=>r.status==429||r.status>499?f():D=1e3,f)}catch(x){w.navigator.sendBeacon(e,t)||f()}},
send=b=>{if(st('tally_ignore')=='true')return;var v=new U(L.search).get('value');b.u=b.u||url();b.d=site;b.r=d.referrer||null;if(v&&isFinite(v))b.v=+v;post(JSON.stringify(b))},
track=(n,p,r,m)=>{if(typeof n!='string'||!n)return;var b={t:'e',n:n.slice(0,120)},k=[],v=[],x,y,t;
p&&typeof p=='object'&&Object.keys(p).forEach(x=>{y=p[x];t=typeof y;x.length>300||!(t=='string'||t=='boolean'||t=='number'&&isFinite(y))||k.push(x)&&v.push(y)})
if(k.length){b.mk=k;b.mv=v}
if(r&&r.amount!=null&&(x=+r.amount)>=0&&isFinite(x)){b.ra=x;if(r.currency)b.rc=str(r.currency)}
if(m){b.el=str(m.label);b.ea=str(m.action);b.ec=str(m.category)}
send(b)},
each=(y,f)=>TR.forEach(t=>{if(t.type==y)try{f(t)}catch(e){}}),
fire=t=>{var k='tally:'+site+':'+t.goal,e=t.every_time;if(e&&t.type=='click'||!fired[k]&&(e||!st(k))){fired[k]=1;e||st(k,1);track(t.event)}},
pages=()=>each('page',t=>{var p=L.pathname,x=t.path,o=t.op,q=t.query||{},s=new U(L.search),k;
if(x!=null&&!(o=='starts_with'?p.startsWith(x):o=='contains'?p.includes(x):o=='ends_with'?p.endsWith(x):p==x))return;
for(k in q)if(!s.has(k)||q[k]&&s.get(k)!=q[k])return;fire(t)}),
views=g(()=>{obs.forEach(o=>o.disconnect());obs=[];each('view',t=>{var o=new IntersectionObserver(g(es=>{if(es.some(e=>e.isIntersecting)){o.disconnect();fire(t)}}));d.querySelectorAll(t.selector).forEach(e=>o.observe(e));obs.push(o)})}),
engaged=()=>each('engagement',t=>{if(t.seconds?tot>=t.seconds:ic>=t.interactions)fire(t)}),
flushX=()=>{sec&&on('engagement')&&send({t:'x',sec,u:last});sec=0},
pv=g(f=>{var p=L.pathname+(hash?L.hash:'');if(p==path&&!f)return;path=p;flushX();fired={};tot=ic=0;last=url();send({t:'p'});pages();setTimeout(views)}),
auto=()=>on('pageviews')&&pv(),
O=w.tally;
w.tally={track:g(track),pageview:()=>pv(1)};
['mousemove','scroll','keydown','click'].forEach(e=>E(d,e,v=>{act=Date.now();if(v.type=='click'||v.type=='keydown'){ic++;engaged()}},!0));
setInterval(g(()=>{if(vis()&&Date.now()-act<3e4){sec++;tot++;engaged()}}),1e3);
E(d,'visibilitychange',()=>vis()||flushX());E(w,'pagehide',()=>{H=1;flushX()});E(w,'pageshow',()=>H=0);
['click','auxclick'].forEach(y=>E(d,y,e=>{var a=e.target.closest('a[href]'),u,x,h;
if(y=='click')each('click',t=>e.target.closest(t.selector)&&fire(t));
if(!a||y=='auxclick'&&e.button!=1)return;h=a.href;if(!/^http/.test(h))return;u=new URL(h);
if(a.hasAttribute('download')||(x=/\.(\w+)$/.exec(u.pathname))&&dl.includes(x[1].toLowerCase())){on('downloads')&&send({t:'d',h})}
else if(u.host!=L.host&&on('outbound'))send({t:'c',h,x:(a.innerText||'').replace(/\s+/g,' ').trim(),ti:a.getAttribute('title')})},!0));
on('forms')&&E(d,'submit',e=>{var f=e.target,a=k=>f.getAttribute(k)||'',i=a('id'),s=f.closest('.wpcf7'),c=a('class')+i;
send({t:'f',fn:a('name')||null,fi:i||s&&s.id||null,fp:s||/wpcf7/.test(c)?'cf7':/wpforms/.test(c)?'wpforms':/gform/.test(c)||f.closest('.gform_wrapper')?'gravity':'html'})},!0);
var H=w.history;['pushState','replaceState'].forEach(k=>{var o=H[k];o&&(H[k]=function(){var r=o.apply(this,arguments);auto();return r})});
E(w,'popstate',auto);hash&&E(w,'hashchange',auto);E(w,'online',flush);
auto();
(O&&O.q||[]).forEach(a=>w.tally.track(...a));
flush();
on('triggers')&&F.call(w,api+'/api/v1/sites/'+site+'/triggers').then(r=>r.json()).then(g(j=>{TR=j.triggers||[];pages();views()})).catch(g(()=>0));
}catch(e){}}(window,document);
