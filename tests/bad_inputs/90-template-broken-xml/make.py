def make(p):
    p.template("tender", "word/document.xml", "</w:body>", "</w:bod>")
