from desktop_app.gui.immortal_none import make_none_immortal

make_none_immortal()  # before any Qt call of ours: see immortal_none.py
